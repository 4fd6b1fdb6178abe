import { AppError } from '../errors.js';
import { SecureRouter } from '../http/route.js';
import { StationParams } from '../people/index.js';
import { maySeeReadiness } from '../realtime/index.js';
import type { ReadinessService } from './readiness.service.js';
import { ReadinessBoardResponse } from './readiness.responses.js';
import { ReadinessQuery } from './readiness.schemas.js';

export function readinessRoutes(readiness: ReadinessService) {
  const api = new SecureRouter();
  api.get(
    '/stations/:code/readiness',
    {
      allow: ['inspector', 'admin', 'auditor'],
      params: StationParams,
      query: ReadinessQuery,
      doc: { response: ReadinessBoardResponse, problems: ['other-station'] },
    },
    ({ params, query, user }) => {
      if (!maySeeReadiness(user, params.code)) {
        throw new AppError('other-station', `You see station ${user.station ?? ''} only`);
      }
      if (query.shift === 'next') return readiness.boardFor(params.code, { next: true });
      return readiness.boardFor(params.code, { at: query.at });
    },
  );
  return api.router;
}
