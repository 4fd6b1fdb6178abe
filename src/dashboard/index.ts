export { FleetView, type LiveHalf, type LiveStateSource, type RegisterRow } from './fleet-view.js';
export { deviceLiveState, liveHalf } from './live-state.js';
