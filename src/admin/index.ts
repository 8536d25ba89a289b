export { AdminService, SCHOOL_ERRORS_KEPT } from './admin.service';
export { OperatorSessions, SESSION_IDLE_MS, SESSION_MAX_MS } from './admin.sessions';
export { LoginLimiter } from './admin.limiter';
export { adminRoutes } from './admin.routes';
export { consoleCookies } from './admin.guard';
export { operatorCommands, preparePasswordArgv, terminalPrompt, type PasswordInput } from './admin.cli';
export { hashPassword, verifyPassword } from './admin.auth';
