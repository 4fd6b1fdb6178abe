// The platform's bus when the broker is the embedded one: the same contract decoding and handlers
// as the MQTT client (client.ts), fed by a tap inside the process instead of a loopback connection.
// Over loopback every message was serialised by aedes, parsed again by mqtt.js and acknowledged,
// all on the thread that also runs the broker and the API: the cost that capped ingestion
// (README, "Telemetry ingestion"). An external broker (MQTT_URL) still gets the MQTT client.
import type { EmbeddedBroker } from './broker.js';
import { dispatcher, type BusClient, type BusClientOptions, type BusHandlers } from './client.js';
import { deviceTopic, INGEST_SUBSCRIPTIONS } from './topics.js';

export async function attachEmbeddedBus(
  broker: EmbeddedBroker,
  opts: Pick<BusClientOptions, 'freshness'>,
  handlers: BusHandlers,
): Promise<BusClient> {
  let open = true;
  const untap = await broker.tap(INGEST_SUBSCRIPTIONS, dispatcher(opts.freshness, handlers));
  return {
    connected: () => open,
    publishCommand: (device, command) =>
      broker.publish(deviceTopic(device, 'commands'), JSON.stringify(command), 1),
    publish: (topic, payload) => broker.publish(topic, JSON.stringify(payload), 1),
    async close() {
      open = false;
      await untap();
    },
  };
}
