/**
 * The shared names of officer qualifications and roles that rollout phases refer to:
 * Authorised Firearms Officers, Taser, domestic-incident response, custody suites,
 * uniformed officers and PCSOs.
 */
export const QUALIFICATIONS = ['AFO', 'TASER', 'DOMESTIC_RESPONSE', 'CUSTODY', 'UNIFORM', 'PCSO'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];
