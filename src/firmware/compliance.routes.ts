import { SecureRouter } from '../http/route.js';
import { ComplianceResponse } from './compliance.responses.js';
import type { ComplianceService } from './compliance.service.js';
import { FIRMWARE_READERS as readers } from './roles.js';

export function complianceRoutes(compliance: ComplianceService) {
  const api = new SecureRouter();
  api.get(
    '/firmware/compliance',
    {
      allow: readers,
      doc: {
        summary: 'Versions by model and station, devices behind and on blocked versions',
        response: ComplianceResponse,
      },
    },
    () => compliance.report(),
  );
  return api.router;
}
