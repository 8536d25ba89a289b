export { startControlServer, type ControlServer, type ControlServerOptions } from './control.server';
export { sendToServer, sendToServerWhenListening } from './control.client';
export {
  controlSocketPath,
  CONTROL_SOCKET_FILE,
  type ControlRequest,
  type ControlResponse,
} from './control.schema';
