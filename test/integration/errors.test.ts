import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApp, type TestApp } from '../helpers/app.js';

describe('error responses', () => {
  let app: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await startApp();
    admin = await app.as('admin');
  });
  afterAll(() => app.close());

  it('answers a malformed body with 400 problem+json naming each bad field', async () => {
    const res = await app
      .http()
      .post('/api/v1/officers')
      .set(admin)
      .send({ number: 'bad number!', qualifications: ['PILOT'] })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/validation-failed',
      status: 400,
      title: expect.any(String),
    });
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.number', 'body.name', 'body.station', 'body.qualifications.0']),
    );
  });

  it('validates query strings too', async () => {
    const res = await app.http().get('/api/v1/officers?limit=9999').set(admin).expect(400);
    expect(res.body.errors[0].path).toBe('query.limit');
  });

  it('answers broken JSON with 400 and a non-JSON body with 415', async () => {
    const broken = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"code":')
      .expect(400);
    expect(broken.body.type).toBe('/problems/malformed-json');
    expect(JSON.stringify(broken.body)).not.toMatch(/at .*\.js|SyntaxError|node_modules/);
    const form = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .type('form')
      .send('code=A&name=B')
      .expect(415);
    expect(form.body.type).toBe('/problems/unsupported-media-type');
  });

  it('refuses an oversized body with 400', async () => {
    const res = await app
      .http()
      .post('/api/v1/stations')
      .set(admin)
      .send({ code: 'BIG', name: 'x'.repeat(200_000) })
      .expect(400);
    expect(res.body.type).toBe('/problems/body-too-large');
  });

  it('answers unknown routes with 404 problem+json, inside and outside the API', async () => {
    const api = await app.http().get('/api/v1/no-such-thing').set(admin).expect(404);
    expect(api.body.type).toBe('/problems/route-not-found');
    const other = await app.http().get('/nope').expect(404);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('tags every response with a request id, keeping a sane one the client sent', async () => {
    const res = await app.http().get('/healthz').set('X-Request-Id', 'desk-7.req-42').expect(200);
    expect(res.headers['x-request-id']).toBe('desk-7.req-42');
    const made = await app.http().get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a strict Content-Security-Policy and no CORS grant', async () => {
    const res = await app.http().get('/healthz').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
