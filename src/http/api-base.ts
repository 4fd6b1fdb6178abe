/** Where the API is mounted. */
export const API_BASE = '/api/v1';
