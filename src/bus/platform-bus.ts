// The platform's side of the bus: the embedded broker's thread hands decoded device messages over;
// an external broker (MQTT_URL) is heard as an MQTT client. Either way through the same contract
// decoding, with the same freshness rule, to the same handlers.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { BrokerThread } from './broker-thread.js';
import { connectBus, type BusClient, type BusHandlers } from './client.js';

export function connectPlatformBus(
  broker: BrokerThread | null,
  config: Config,
  service: { username: string; password: string },
  handlers: BusHandlers,
  log: Logger,
): Promise<BusClient> {
  const freshness = { maxAgeMs: config.TELEMETRY_MAX_AGE_S * 1000, maxSkewMs: 60_000 };
  if (broker) return broker.attach(freshness, handlers);
  const url = config.MQTT_URL!;
  return connectBus(
    { url, ...service, freshness, mosquittoDynsec: config.MQTT_MOSQUITTO_DYNSEC, log },
    handlers,
  );
}
