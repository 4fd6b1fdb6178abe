import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, MQTT_PORT: 1883, MONGODB_DB: 'bwv' });
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.DATA_DIR).toMatch(/\/data$/);
    expect(c.dbDir).toBe(`${c.DATA_DIR}/db`);
  });

  it('names every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: '70000', MONGODB_URI: 'http://x', BWV_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/MONGODB_URI/);
    expect(msg).toMatch(/BWV_ADMIN_PASSWORD: must be at least 12 characters/);
  });

  it('treats an empty MONGODB_URI as unset (embedded database)', () => {
    expect(loadConfig({ MONGODB_URI: '' }).MONGODB_URI).toBeUndefined();
  });

  it('leaves the TLS and WebSocket listeners off unless their ports are set', () => {
    const c = loadConfig({ MQTT_TLS_PORT: '', MQTT_WS_PORT: '' });
    expect(c.MQTT_TLS_PORT).toBeUndefined();
    expect(c.MQTT_WS_PORT).toBeUndefined();
    expect(loadConfig({ MQTT_WS_PORT: '0' }).MQTT_WS_PORT).toBe(0);
  });

  it('refuses a TLS port without a certificate and key, and a certificate without a TLS port', () => {
    expect(() => loadConfig({ MQTT_TLS_PORT: '8883', MQTT_TLS_CERT_FILE: '/c.pem' })).toThrow(
      /MQTT_TLS_KEY_FILE: required with MQTT_TLS_PORT/,
    );
    expect(() => loadConfig({ MQTT_TLS_CERT_FILE: '/c.pem', MQTT_TLS_KEY_FILE: '/k.pem' })).toThrow(
      /MQTT_TLS_PORT: required with a certificate and key/,
    );
    const c = loadConfig({
      MQTT_TLS_PORT: '8883',
      MQTT_TLS_CERT_FILE: '/c.pem',
      MQTT_TLS_KEY_FILE: '/k.pem',
    });
    expect(c).toMatchObject({
      MQTT_TLS_PORT: 8883,
      MQTT_TLS_CERT_FILE: '/c.pem',
      MQTT_TLS_KEY_FILE: '/k.pem',
    });
  });

  it('trusts only the proxies named in TRUST_PROXY, and refuses `true`, which trusts every hop', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback,fd00::/8' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'loopback',
      'fd00::/8',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY: true would trust every hop.*e\.g\. 1.*127\.0\.0\.1,10\.0\.0\.0\/8/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33,proxy.local' })).toThrow(
      /TRUST_PROXY: not a hop count or proxy addresses\/CIDRs: 10\.0\.0\.0\/33, proxy\.local/,
    );
  });

  it('refuses a first-admin password the password policy would refuse', () => {
    expect(() => loadConfig({ BWV_ADMIN_PASSWORD: 'aaaaaaaaaaaa' })).toThrow(
      /BWV_ADMIN_PASSWORD: too weak: the password repeats characters/,
    );
    expect(() => loadConfig({ BWV_ADMIN_PASSWORD: 'administrator' })).toThrow(/BWV_ADMIN_PASSWORD: too weak/);
    expect(loadConfig({ BWV_ADMIN_PASSWORD: 'test-admin-password-1' }).BWV_ADMIN_PASSWORD).toBe(
      'test-admin-password-1',
    );
  });

  it('stops at BLOCKED_FIRMWARE, saying blocked versions are data now', () => {
    expect(() => loadConfig({ BLOCKED_FIRMWARE: '1.9.0' })).toThrow(
      /BLOCKED_FIRMWARE: blocked firmware versions are data now: .*PUT \/api\/v1\/firmware\/versions\//,
    );
    expect(loadConfig({ BLOCKED_FIRMWARE: '' })).not.toHaveProperty('BLOCKED_FIRMWARE');
  });

  it('takes no firmware until FIRMWARE_TRUSTED_KEYS is set, up to 512 MiB a file', () => {
    const c = loadConfig({});
    expect(c.FIRMWARE_TRUSTED_KEYS).toBeUndefined();
    expect(c.FIRMWARE_MAX_BYTES).toBe(512 * 1024 * 1024);
  });

  it('gives the firmware engine its documented defaults and refuses a download base that is not http(s)', () => {
    expect(loadConfig({})).toMatchObject({
      FIRMWARE_ENGINE: true,
      FIRMWARE_TICK_MS: 1000,
      FIRMWARE_SENDS_PER_MINUTE: 1500,
      FIRMWARE_RETRY_BASE_S: 30,
      FIRMWARE_STEP_TIMEOUT_S: 600,
      FIRMWARE_MIN_BATTERY: 30,
    });
    expect(loadConfig({}).FIRMWARE_DOWNLOAD_BASE_URL).toBeUndefined();
    expect(loadConfig({ FIRMWARE_ENGINE: 'false' }).FIRMWARE_ENGINE).toBe(false);
    expect(() => loadConfig({ FIRMWARE_DOWNLOAD_BASE_URL: 'ftp://x' })).toThrow(/FIRMWARE_DOWNLOAD_BASE_URL/);
    expect(() => loadConfig({ FIRMWARE_SENDS_PER_MINUTE: '0' })).toThrow(/FIRMWARE_SENDS_PER_MINUTE/);
  });
});
