/** Events the identity service publishes. */
export type PartnerTier = 'DIRECT_PROVIDER' | 'INDIRECT_PROVIDER' | 'INDIRECT_RESELLER';

export interface IdentityEvents {
  /** A webhook endpoint failed every delivery for a day and was disabled (for its owner's notice). */
  'webhook.endpointDisabled': { endpointId: string; ownerId: string; url: string; failingSince: string; at: string };
  'partner.onboarded': {
    partnerId: string;
    name: string;
    tier: PartnerTier;
    /** ISO 3166-1 alpha-2; decides the market. */
    country: string;
    /** Market code (catalog's), from the country at onboarding. */
    market: string;
    /** Agreed with the vendor; defaults to the market's. */
    currency: string;
    /** VAT number, when the partner gave one (shape-validated by identity). */
    taxId?: string;
    adminAgentsGroupId: string;
  };
  'reseller.linked': { distributorId: string; resellerId: string };
  'customer.created': {
    customerId: string;
    companyName: string;
    /** Lower-cased; unique across the platform. */
    domain: string;
    country: string;
    /** Agreed with the selling partner; defaults to the partner's. */
    currency: string;
    /** VAT number, when the customer gave one (shape-validated by identity). */
    taxId?: string;
    /** The selling partner: direct provider or reseller. */
    partnerId: string;
    /** Set when a distributor created the customer on behalf of its linked reseller (`partnerId`). */
    distributorId?: string;
  };
  'relationship.established': { customerId: string; partnerId: string };
  'relationship.revoked': { customerId: string; partnerId: string };
  /** A user was created or its staff roles changed; `roles` is the whole new set. */
  'user.rolesChanged': {
    userId: string;
    email: string;
    kind: 'PARTNER_USER' | 'CUSTOMER_USER';
    partnerId?: string;
    customerId?: string;
    roles: string[];
  };
  'group.membershipChanged': { groupId: string; ownerKind: 'PARTNER' | 'CUSTOMER'; ownerId: string; memberIds: string[] };
}
