/** CleverTap's regional API hosts. */
export const CLEVERTAP_REGIONS = {
  in1: 'https://in1.api.clevertap.com',
  sg1: 'https://sg1.api.clevertap.com',
  us1: 'https://us1.api.clevertap.com',
  aps3: 'https://aps3.api.clevertap.com',
  mec1: 'https://mec1.api.clevertap.com',
  eu1: 'https://eu1.api.clevertap.com',
} as const;

export type CleverTapRegion = keyof typeof CLEVERTAP_REGIONS;

export const isCleverTapRegion = (value: unknown): value is CleverTapRegion =>
  typeof value === 'string' && Object.hasOwn(CLEVERTAP_REGIONS, value);
