/**
 * The Azure plan's meters with list rates in USD (per unit, tiered where Azure tiers them).
 * Tiers: [fromQuantity, price]; the seed converts prices per market.
 */
export interface SeedMeter {
  id: string;
  name: string;
  category: 'compute' | 'storage' | 'networking' | 'databases';
  unit: string;
  usdRates: Array<[string, string]>;
}

export const AZURE_METERS: SeedMeter[] = [
  // compute
  { id: 'mtr_vm_b2s', name: 'Virtual Machines B2s (Linux)', category: 'compute', unit: '1 Hour', usdRates: [['0', '0.0416']] },
  { id: 'mtr_vm_d2s_v5', name: 'Virtual Machines D2s v5 (Linux)', category: 'compute', unit: '1 Hour', usdRates: [['0', '0.096']] },
  { id: 'mtr_vm_d4s_v5_windows', name: 'Virtual Machines D4s v5 (Windows)', category: 'compute', unit: '1 Hour', usdRates: [['0', '0.376']] },
  { id: 'mtr_vm_e4s_v5', name: 'Virtual Machines E4s v5 (Linux)', category: 'compute', unit: '1 Hour', usdRates: [['0', '0.252']] },
  { id: 'mtr_app_service_p1v3', name: 'App Service Premium v3 P1v3', category: 'compute', unit: '1 Hour', usdRates: [['0', '0.169']] },
  { id: 'mtr_functions_executions', name: 'Functions Consumption executions', category: 'compute', unit: '1M Executions', usdRates: [['0', '0'], ['1', '0.20']] },
  { id: 'mtr_functions_gb_seconds', name: 'Functions Consumption execution time', category: 'compute', unit: '1 GB Second', usdRates: [['0', '0'], ['400000', '0.000016']] },
  // storage
  {
    id: 'mtr_blob_hot_lrs',
    name: 'Blob Storage Hot LRS data stored',
    category: 'storage',
    unit: '1 GB/Month',
    usdRates: [['0', '0.0184'], ['51200', '0.0177'], ['512000', '0.017']],
  },
  { id: 'mtr_blob_cool_lrs', name: 'Blob Storage Cool LRS data stored', category: 'storage', unit: '1 GB/Month', usdRates: [['0', '0.01']] },
  { id: 'mtr_blob_archive_lrs', name: 'Blob Storage Archive LRS data stored', category: 'storage', unit: '1 GB/Month', usdRates: [['0', '0.00099']] },
  { id: 'mtr_blob_write_ops', name: 'Blob Storage Hot write operations', category: 'storage', unit: '10K Operations', usdRates: [['0', '0.065']] },
  { id: 'mtr_disk_premium_p10', name: 'Premium SSD Managed Disk P10', category: 'storage', unit: '1 Disk/Month', usdRates: [['0', '19.71']] },
  // networking
  {
    id: 'mtr_egress_internet',
    name: 'Data transfer out to the Internet',
    category: 'networking',
    unit: '1 GB',
    usdRates: [['0', '0'], ['100', '0.087'], ['10340', '0.083'], ['51300', '0.07'], ['153700', '0.05']],
  },
  { id: 'mtr_public_ip_standard', name: 'Standard static public IP address', category: 'networking', unit: '1 Hour', usdRates: [['0', '0.005']] },
  { id: 'mtr_load_balancer_rules', name: 'Standard Load Balancer rules', category: 'networking', unit: '1 Hour', usdRates: [['0', '0.025'], ['5', '0.01']] },
  { id: 'mtr_vpn_gateway_vpngw1', name: 'VPN Gateway VpnGw1', category: 'networking', unit: '1 Hour', usdRates: [['0', '0.19']] },
  // databases
  { id: 'mtr_sql_gp_vcore', name: 'SQL Database General Purpose vCore', category: 'databases', unit: '1 vCore Hour', usdRates: [['0', '0.5044']] },
  { id: 'mtr_sql_storage', name: 'SQL Database data stored', category: 'databases', unit: '1 GB/Month', usdRates: [['0', '0.115']] },
  { id: 'mtr_cosmos_ru', name: 'Cosmos DB provisioned throughput', category: 'databases', unit: '100 RU/s Hour', usdRates: [['0', '0.008']] },
  { id: 'mtr_cosmos_storage', name: 'Cosmos DB transactional storage', category: 'databases', unit: '1 GB/Month', usdRates: [['0', '0.25']] },
  { id: 'mtr_postgres_flex_d2s', name: 'PostgreSQL Flexible Server D2s v3', category: 'databases', unit: '1 Hour', usdRates: [['0', '0.178']] },
];
