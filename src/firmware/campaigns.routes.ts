import { SecureRouter } from '../http/route.js';
import { PageQuery } from '../shared/index.js';
import {
  CampaignCreatedResponse,
  CampaignDetailResponse,
  CampaignDevicePage,
  CampaignPage,
  CampaignPreviewResponse,
} from './campaigns.responses.js';
import { CampaignBody, CampaignDevicesQuery, CampaignParams, PauseBody } from './campaigns.schemas.js';
import type { CampaignsService } from './campaigns.service.js';

import { FIRMWARE_MANAGERS as managers, FIRMWARE_READERS as readers } from './roles.js';
const one = { problems: ['firmware-campaign-not-found' as const], response: CampaignDetailResponse };
const creation = ['firmware-artifact-unusable', 'firmware-campaign-empty'] as const;

export function campaignsRoutes(campaigns: CampaignsService) {
  const api = new SecureRouter();
  api.get(
    '/firmware/campaigns',
    { allow: readers, query: PageQuery, doc: { summary: 'Campaigns, newest first', response: CampaignPage } },
    ({ query }) => campaigns.list(query.limit, query.offset),
  );
  api.post(
    '/firmware/campaigns/preview',
    {
      allow: managers,
      body: CampaignBody,
      doc: {
        summary: 'The devices a campaign with this body would update, by station, version and wave',
        problems: creation.slice(0, 1),
        response: CampaignPreviewResponse,
      },
    },
    ({ body }) => campaigns.preview(body),
  );
  api.post(
    '/firmware/campaigns',
    {
      allow: managers,
      body: CampaignBody,
      status: 201,
      doc: {
        summary: 'Creates a campaign; it awaits approval by someone other than its creator',
        problems: creation,
        response: CampaignCreatedResponse,
      },
    },
    ({ body, ctx }) => campaigns.create(body, ctx),
  );
  api.get('/firmware/campaigns/:id', { allow: readers, params: CampaignParams, doc: one }, ({ params }) =>
    campaigns.detail(params.id),
  );
  api.get(
    '/firmware/campaigns/:id/devices',
    {
      allow: readers,
      params: CampaignParams,
      query: CampaignDevicesQuery,
      doc: { problems: ['firmware-campaign-not-found'], response: CampaignDevicePage },
    },
    ({ params, query }) => campaigns.devices(params.id, query),
  );
  const action = (summary: string, problems: Array<'firmware-approval-own-campaign'> = []) => ({
    summary,
    problems: ['firmware-campaign-not-found' as const, 'firmware-campaign-state' as const, ...problems],
    response: CampaignDetailResponse,
  });
  api.post(
    '/firmware/campaigns/:id/approve',
    {
      allow: managers,
      params: CampaignParams,
      doc: action('Approves the campaign, or its wave awaiting approval (two-person rule)', [
        'firmware-approval-own-campaign',
      ]),
    },
    ({ params, ctx }) => campaigns.approve(params.id, ctx),
  );
  api.post(
    '/firmware/campaigns/:id/pause',
    { allow: managers, params: CampaignParams, body: PauseBody, doc: action('Pauses a running campaign') },
    ({ params, body, ctx }) => campaigns.pause(params.id, body.reason, ctx),
  );
  api.post(
    '/firmware/campaigns/:id/resume',
    {
      allow: managers,
      params: CampaignParams,
      doc: action('Resumes a paused campaign; the failures so far are acknowledged'),
    },
    ({ params, ctx }) => campaigns.resume(params.id, ctx),
  );
  api.post(
    '/firmware/campaigns/:id/cancel',
    {
      allow: managers,
      params: CampaignParams,
      doc: action('Cancels: nothing more is sent; updates in flight finish'),
    },
    ({ params, ctx }) => campaigns.cancel(params.id, ctx),
  );
  api.post(
    '/firmware/campaigns/:id/rollback',
    {
      allow: managers,
      params: CampaignParams,
      status: 201,
      doc: {
        summary: 'Creates a campaign taking the updated devices back to their previous version',
        problems: ['firmware-campaign-not-found', 'firmware-rollback-unavailable', ...creation],
        response: CampaignCreatedResponse,
      },
    },
    ({ params, ctx }) => campaigns.rollback(params.id, ctx),
  );
  return api.router;
}
