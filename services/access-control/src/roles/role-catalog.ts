import { badInput, isDuplicateKey } from '@csp/kernel';
import type { Model } from 'mongoose';
import { BUILT_IN_ROLES, type RoleDefinitionDoc } from './role-definition.model';

/** Role definitions held in memory: they change rarely and every decision reads them. */
export class RoleCatalog {
  private roles = new Map<string, RoleDefinitionDoc>();

  constructor(private readonly model: Model<RoleDefinitionDoc>) {}

  /** Seeds the built-in roles (idempotent, safe when replicas start together) and loads all. */
  async init(): Promise<void> {
    await Promise.all(
      BUILT_IN_ROLES.map((r) =>
        this.model
          .updateOne({ _id: r._id }, { $set: { description: r.description, actions: r.actions, builtIn: true } }, { upsert: true })
          .catch((err) => {
            if (!isDuplicateKey(err)) throw err;
          }),
      ),
    );
    await this.reload();
  }

  async reload(): Promise<void> {
    const docs = await this.model.find().lean<RoleDefinitionDoc[]>();
    this.roles = new Map(docs.map((d) => [d._id, d]));
  }

  all(): RoleDefinitionDoc[] {
    return [...this.roles.values()].sort((a, b) => a._id.localeCompare(b._id));
  }

  get(name: string): RoleDefinitionDoc | undefined {
    return this.roles.get(name);
  }

  allows(role: string, action: string): boolean {
    return this.roles.get(role)?.actions.includes(action) ?? false;
  }

  /** Validates role names from input; BAD_USER_INPUT names the unknown one. */
  require(names: string[], field = 'role'): string[] {
    for (const n of names) {
      if (!this.roles.has(n)) throw badInput(`Unknown role ${JSON.stringify(n)}; roles are ${[...this.roles.keys()].join(', ')}.`, field);
    }
    return names;
  }
}
