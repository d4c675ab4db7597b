import { authorize, notFound, requireCaller } from '@csp/kernel';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { IdentityContext } from '../context';
import { Customer } from '../customers/customer.type';
import { Partner } from '../partners/partner.type';
import { Relationship, RelationshipPayload, RelationshipRequest, toRelationship } from './relationship.type';
import type { RelationshipDoc } from './relationship.model';

const payload = (doc: RelationshipDoc) => Object.assign(new RelationshipPayload(), { relationship: toRelationship(doc) });

@Resolver(() => Relationship)
export class RelationshipResolver {
  @Mutation(() => RelationshipRequest, {
    description: "A direct provider or reseller asks an existing customer for a relationship; the customer's country must be in its market.",
  })
  async createRelationshipRequest(@Arg('customerDomain') customerDomain: string, @Ctx() ctx: IdentityContext): Promise<RelationshipRequest> {
    authorize(ctx, 'createRelationshipRequest');
    const r = await ctx.deps.relationshipService.createRequest(requireCaller(ctx), customerDomain);
    return Object.assign(new RelationshipRequest(), r);
  }

  @Mutation(() => RelationshipPayload, { description: "The customer's admin accepts a request code (single use, until it expires)." })
  async acceptRelationshipRequest(@Arg('code') code: string, @Ctx() ctx: IdentityContext): Promise<RelationshipPayload> {
    authorize(ctx, 'acceptRelationshipRequest');
    return payload(await ctx.deps.relationshipService.accept(requireCaller(ctx), code));
  }

  @Mutation(() => RelationshipPayload, { description: 'A partner ends its relationship with a customer (the operator names the partner).' })
  async revokeRelationship(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId: string | null | undefined,
    @Ctx() ctx: IdentityContext,
  ): Promise<RelationshipPayload> {
    authorize(ctx, 'revokeRelationship');
    return payload(await ctx.deps.relationshipService.revoke(requireCaller(ctx), customerId, partnerId));
  }

  @FieldResolver(() => Partner)
  async partner(@Root() r: Relationship, @Ctx() ctx: IdentityContext): Promise<Partner> {
    const p = await ctx.loaders.partner.load(r.partnerId);
    if (!p) throw notFound('Partner', r.partnerId);
    return p;
  }

  @FieldResolver(() => Customer)
  async customer(@Root() r: Relationship, @Ctx() ctx: IdentityContext): Promise<Customer> {
    const c = await ctx.loaders.customer.load(r.customerId);
    if (!c) throw notFound('Customer', r.customerId);
    return c;
  }
}
