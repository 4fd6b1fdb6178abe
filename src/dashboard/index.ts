export { FleetView, type LiveHalf, type LiveStateLookup } from './fleet-view.js';
export { wireDashboard, liveHalf } from './wiring.js';
