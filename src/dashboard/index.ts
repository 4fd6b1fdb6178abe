export { FleetView, type LiveHalf, type LiveStateLookup } from './fleet-view.js';
