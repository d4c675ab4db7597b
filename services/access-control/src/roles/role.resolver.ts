import { requireCaller } from '@csp/kernel';
import { Ctx, Query, Resolver } from 'type-graphql';
import type { AccessControlContext } from '../context';
import { RoleDefinition } from './role-definition.type';

@Resolver()
export class RoleResolver {
  @Query(() => [RoleDefinition], { description: 'The roles that can be granted and the actions each allows.' })
  roleDefinitions(@Ctx() ctx: AccessControlContext): RoleDefinition[] {
    requireCaller(ctx);
    return ctx.deps.roles.all().map((r) =>
      Object.assign(new RoleDefinition(), { name: r._id, description: r.description, actions: r.actions, builtIn: r.builtIn }),
    );
  }
}
