/**
 * Contract operations the composed graph does not serve yet. This list only shrinks: each
 * domain issue removes its operations when they run through the gateway as their comments say.
 */
export const PENDING_OPERATIONS: readonly string[] = [
];
