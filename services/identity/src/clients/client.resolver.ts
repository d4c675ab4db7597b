import { authorize, requireOperator } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { IdentityContext } from '../context';
import { ClientTokenPayload, CreateClientInput, CreateClientPayload } from './client.type';

@Resolver()
export class ClientResolver {
  @Mutation(() => CreateClientPayload, { description: 'Operator only: a machine client (e.g. the usage connector with "usage:write").' })
  async createClient(@Arg('input') input: CreateClientInput, @Ctx() ctx: IdentityContext): Promise<CreateClientPayload> {
    authorize(ctx, 'createClient');
    const caller = requireOperator(ctx);
    const { client, secret } = await ctx.deps.clientService.create(caller, input);
    return Object.assign(new CreateClientPayload(), { clientId: client._id, clientSecret: secret, name: client.name, scopes: client.scopes });
  }

  @Mutation(() => ClientTokenPayload, { description: 'Client-credential grant: a short-lived token carrying the client\'s scopes. Public.' })
  async tokenForClient(
    @Arg('clientId', () => ID) clientId: string,
    @Arg('clientSecret') clientSecret: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<ClientTokenPayload> {
    const { token, expiresAt, client } = await ctx.deps.clientService.token(clientId, clientSecret);
    return Object.assign(new ClientTokenPayload(), { accessToken: token, expiresAt, scopes: client.scopes });
  }
}
