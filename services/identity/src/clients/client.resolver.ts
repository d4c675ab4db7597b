import { authorize, forbidden, notFound, PARTNER_CLIENT_SCOPES, requireOperator, tag, SIGN_IN_TAG } from '@csp/kernel';
import { Arg, Ctx, ID, Mutation, Resolver, Directive } from 'type-graphql';
import type { IdentityContext } from '../context';
import { ClientTokenPayload, CreateClientInput, CreateClientPayload } from './client.type';

@Resolver()
export class ClientResolver {
  @Mutation(() => CreateClientPayload, { description: 'The operator, or a partner\'s ADMIN for its own partner (partner scopes only): a machine client (e.g. the usage connector with "usage:write").' })
  async createClient(@Arg('input') input: CreateClientInput, @Ctx() ctx: IdentityContext): Promise<CreateClientPayload> {
    const caller = authorize(ctx, 'createClient');
    let scoped = input;
    if (caller.kind === 'PARTNER_USER') {
      // A partner's ADMIN registers clients for its own partner, with partner scopes only.
      if (!caller.partnerId || (input.partnerId && input.partnerId !== caller.partnerId)) throw notFound('Partner', input.partnerId ?? undefined);
      const foreign = input.scopes.filter((x) => !PARTNER_CLIENT_SCOPES.includes(x.trim()));
      if (foreign.length) throw forbidden(`A partner's client may hold only ${PARTNER_CLIENT_SCOPES.join(', ')}; not ${foreign.join(', ')}.`);
      scoped = Object.assign(input, { partnerId: caller.partnerId });
    } else {
      requireOperator(ctx);
    }
    const { client, secret } = await ctx.deps.clientService.create(caller, scoped);
    return Object.assign(new CreateClientPayload(), { clientId: client._id, clientSecret: secret, name: client.name, scopes: client.scopes });
  }

  @Mutation(() => ClientTokenPayload, { description: 'Client-credential grant: a short-lived token carrying the client\'s scopes. Public.' })
  @Directive(tag(SIGN_IN_TAG))
  async tokenForClient(
    @Arg('clientId', () => ID) clientId: string,
    @Arg('clientSecret') clientSecret: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<ClientTokenPayload> {
    const { token, expiresAt, client } = await ctx.deps.clientService.token(clientId, clientSecret, ctx.clientAddress);
    return Object.assign(new ClientTokenPayload(), { accessToken: token, expiresAt, scopes: client.scopes });
  }
}
