/// <reference lib="dom" />
export * from './generated/index.js';
export { createLeadforgeClient, type LeadforgeClientOptions, type TokenSource } from './client.js';
export { LeadforgeProblemError, type ProblemDocument, type ProblemFieldError } from './problem.js';
export { connectEvents, LeadforgeSocketError, type ConnectEventsOptions, type EventsConnection, type EventsSocket, type SubscribeResult } from './events.js';
export * from '../../contracts/src/events.js';
