/**
 * `toolwarden/mcp`: governs MCP servers you own (`governMcpServer`) and any MCP server, over stdio or Streamable
 * HTTP, through the `toolwarden-mcp` gateway (`startGateway`).
 *
 * @module
 */
export { governMcpServer, deniedResult } from './governMcpServer.js';
export type { GovernableMcpServer } from './governMcpServer.js';
export { startGateway } from './gateway.js';
export type { Gateway, GatewayExit, GatewayOptions } from './gateway.js';
export type { AdapterOptions, Denial } from '../shared/governedExecute.js';
