// The `name` of a thrown AWS SDK error ("ResourceNotFoundException", …), or "" for anything else.
// The SDK's error classes differ per service, so steps compare names rather than use instanceof.
export const errName = (e: unknown): string => (e as { name?: string } | undefined)?.name ?? "";
