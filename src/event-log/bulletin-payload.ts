/** A Bulletins request body exactly as CleverTap defines it, after validation. */
export interface BulletinPayload {
  business_event: string;
  name: string;
  properties: Record<string, string>;
  'c-by': string;
  when: string | number;
}
