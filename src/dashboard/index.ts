export { FleetView, type LiveHalf, type LiveStateSource } from './fleet-view.js';
export { wireDashboard, liveHalf } from './wiring.js';
