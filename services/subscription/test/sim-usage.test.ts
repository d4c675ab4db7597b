import Decimal from 'decimal.js';
import { dailyUsage, quantityFor } from '../src/cloud/sim-usage';
import type { SimCloudSubscriptionDoc } from '../src/cloud/sim-cloud.model';

const day = new Date('2026-03-10T00:00:00.000Z');
const at = (h: number) => new Date(day.getTime() + h * 3_600_000);

describe('simulated daily usage', () => {
  it('counts only the part of each run inside the day, per service, as exact decimals', () => {
    const doc = {
      subscriptionId: 'sub_1',
      services: [
        { name: 'vm', meterId: 'mtr_vm', status: 'RUNNING', runs: [{ from: at(-5), to: at(2) }, { from: at(20), to: null }] },
        { name: 'idle', meterId: 'mtr_vm', status: 'STOPPED', runs: [{ from: at(-30), to: at(-1) }] },
      ],
    } as unknown as SimCloudSubscriptionDoc;
    expect(dailyUsage([doc], day)).toEqual([
      { recordId: 'sim-sub_1-vm-2026-03-10', subscriptionId: 'sub_1', meterId: 'mtr_vm', quantity: '6.0000', usageDate: '2026-03-10' },
    ]);
  });

  it('uses the meter unit: hours, prorated monthly footprints, and counts scaled by uptime', () => {
    const fullDay = 24 * 3_600_000;
    expect(quantityFor('1 Hour', fullDay / 2, 'k')).toBe('12.0000');
    const gb = new Decimal(quantityFor('1 GB/Month', fullDay, 'k'));
    expect(gb.gte(new Decimal(10).div(30)) && gb.lte(new Decimal(500).div(30))).toBe(true);
    expect(quantityFor('1 GB/Month', fullDay, 'k')).toBe(quantityFor('1 GB/Month', fullDay, 'k'));
    const n = new Decimal(quantityFor('1M Executions', fullDay, 'x'));
    expect(n.gte(1) && n.lte(100)).toBe(true);
    expect(quantityFor('1M Executions', fullDay / 2, 'x')).toBe(n.div(2).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(4));
  });
});
