// The API: every capability's router, behind authentication, plus the devices' clip upload and
// firmware download (which authenticate with device credentials). Also records the declared routes (paths, roles, schemas)
// for tests and docs.
import { Router, type RequestHandler } from 'express';
import type { PassportStatic } from 'passport';
import { auditRoutes } from '../audit/index.js';
import { assignmentsRoutes } from '../assignments/index.js';
import { authenticateRequests, authRoutes } from '../auth/index.js';
import { clipsRoutes, clipUploadRoutes, disclosuresRoutes } from '../clips/index.js';
import type { Config } from '../config.js';
import { devicesRoutes } from '../devices/index.js';
import {
  campaignsRoutes,
  complianceRoutes,
  firmwareArtifactsRoutes,
  firmwareDownloadRoutes,
  firmwareVersionsRoutes,
  windowsRoutes,
} from '../firmware/index.js';
import { fleetRoutes, transfersRoutes } from '../fleet/index.js';
import { apiRouter } from '../http/api.js';
import { openApiRoute } from '../http/api-docs.js';
import { API_BASE } from '../http/app.js';
import { declaredRoutes, type DeclaredRoute } from '../http/route.js';
import { peopleRoutes } from '../people/index.js';
import { readinessRoutes } from '../readiness/index.js';
import { rolloutRoutes } from '../rollout/index.js';
import { shiftsRoutes } from '../shifts/index.js';
import { webhooksRoutes } from '../webhooks/index.js';
import type { Services } from './services.js';

export function apiRoutes(
  s: Services,
  p: { config: Config; session: RequestHandler; passport: PassportStatic; declared: DeclaredRoute[] },
): Router {
  const routers = [
    authRoutes(s.users, p.passport, s.loginThrottle),
    auditRoutes(s.audit),
    peopleRoutes(s.people),
    fleetRoutes(s.fleet, {
      cameraLive: (c) =>
        s.deviceState.cameraLive(c.serial, { status: c.status, holder: c.holder, lostReason: c.lostReason }),
    }),
    transfersRoutes(s.transfers),
    assignmentsRoutes(s.assignments, s.idempotency),
    shiftsRoutes(s.shifts),
    readinessRoutes(s.readiness),
    devicesRoutes(s.credentials, s.deviceState, s.refusals),
    clipsRoutes(s.clips, s.missedFaces),
    disclosuresRoutes(s.disclosures),
    webhooksRoutes(s.webhooks),
    firmwareArtifactsRoutes(s.firmwareArtifacts),
    firmwareVersionsRoutes(s.firmwareVersions),
    campaignsRoutes(s.firmwareCampaigns),
    windowsRoutes(s.firmwareWindows),
    complianceRoutes(s.firmwareCompliance),
    rolloutRoutes({
      metrics: s.rolloutMeasures.metrics,
      phases: s.rolloutPhases,
      budget: s.rolloutBudget,
      concerns: s.rolloutConcerns,
      planner: s.rolloutPlanner,
      scope: s.rolloutScope,
    }),
    s.rolloutReports.router,
  ];
  const prefixed = (r: Router) => declaredRoutes(r).map((d) => ({ ...d, path: API_BASE + d.path }));
  for (const r of routers) p.declared.push(...prefixed(r));
  const clipUpload = clipUploadRoutes(
    s.clips,
    (u, pw) => s.credentials.verify(u, pw),
    p.config.CLIP_MAX_BYTES,
  );
  const firmwareDownload = firmwareDownloadRoutes(
    s.firmwareArtifacts,
    (u, pw) => s.credentials.verify(u, pw),
    (r) => s.refusals.refuse(r),
  );
  return Router()
    .use(openApiRoute(() => [...p.declared, ...prefixed(clipUpload), ...prefixed(firmwareDownload)]))
    .use(clipUpload)
    .use(firmwareDownload)
    .use(
      apiRouter({
        bodyLimit: p.config.JSON_BODY_LIMIT,
        authenticate: authenticateRequests(p.session, p.passport),
        routers,
      }),
    );
}

/** What answers under /public without login: published rollout reports, when the force opts in. */
export const publicRoutes = (s: Services): Router => Router().use('/reports', s.rolloutReports.publicRouter);
