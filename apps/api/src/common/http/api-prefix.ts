/** Every API route lives under this prefix; /metrics and the admin console do not. */
export const API_PREFIX = 'api/v1';
