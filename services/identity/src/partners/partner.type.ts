import { Connection, graphqlEnum } from '@csp/kernel';
import type { PartnerTier } from '@csp/events';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { MarketRef, marketRef } from '../markets/market.type';
import { SecurityGroup } from '../groups/group.type';
import { User } from '../users/user.type';
import type { PartnerDoc } from './partner.model';
import type { ResellerLinkStatus } from './reseller-link.model';

export const PartnerTierEnum = graphqlEnum('PartnerTier', ['DIRECT_PROVIDER', 'INDIRECT_PROVIDER', 'INDIRECT_RESELLER'], {
  description: 'Direct provider (tier 1), indirect provider (tier-2 distributor) or indirect reseller (tier 2).',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "A partner in the vendor's channel." })
export class Partner {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => PartnerTierEnum) tier!: PartnerTier;
  @Field({ description: 'ISO 3166-1 alpha-2' }) country!: string;
  @Field({ description: 'ISO 4217, agreed with the vendor' }) currency!: string;
  @Field(() => String, { nullable: true, description: 'VAT number, when the partner gave one.' }) taxId?: string | null;
  @Field(() => MarketRef, { description: "The market of the partner's country: it sells only there." }) market!: MarketRef;
  adminAgentsGroupId!: string;
}

export const PartnerConnection = Connection(Partner);

export function toPartner(doc: PartnerDoc): Partner {
  return Object.assign(new Partner(), {
    id: doc._id,
    name: doc.name,
    tier: doc.tier,
    country: doc.country,
    currency: doc.currency,
    taxId: doc.taxId ?? null,
    market: marketRef(doc.market),
    adminAgentsGroupId: doc.adminAgentsGroupId,
  });
}

@InputType()
export class OnboardPartnerInput {
  @Field() name!: string;
  @Field(() => PartnerTierEnum) tier!: PartnerTier;
  @Field({ description: 'ISO 3166-1 alpha-2; decides the market.' }) country!: string;
  @Field(() => String, { nullable: true, description: "ISO 4217; defaults to the market's currency." }) currency?: string | null;
  @Field(() => String, { nullable: true, description: 'VAT number (validated for shape against the country); billing uses it for reverse charge.' }) taxId?: string | null;
  @Field() adminEmail!: string;
  @Field({ description: 'At least 10 characters.' }) adminPassword!: string;
}

@ObjectType()
export class OnboardPartnerPayload {
  @Field(() => Partner) partner!: Partner;
  @Field(() => User) adminUser!: User;
  @Field(() => SecurityGroup, { description: "The admin-agents group: owner of the partner's new subscriptions." })
  adminAgentsGroup!: SecurityGroup;
}

export const ResellerLinkStatusEnum = graphqlEnum('ResellerLinkStatus', ['PENDING', 'ACTIVE'], {
  description: "PENDING: the distributor invited the reseller, nothing is shared yet. ACTIVE: the reseller's admin accepted.",
});

@ObjectType()
export class LinkResellerPayload {
  @Field(() => Partner, { description: 'The invited reseller.' }) partner!: Partner;
  @Field(() => ResellerLinkStatusEnum, { description: "PENDING until the reseller's admin accepts (acceptResellerLink)." })
  status!: ResellerLinkStatus;
}

@ObjectType()
export class AcceptResellerLinkPayload {
  @Field(() => Partner, { description: 'The distributor now linked.' }) partner!: Partner;
  @Field(() => ResellerLinkStatusEnum) status!: ResellerLinkStatus;
}
