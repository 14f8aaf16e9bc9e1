// One logger for every process. JSON lines on stdout (pino); LOG_LEVEL sets the level.
// Tests run at "silent" unless LOG_LEVEL says otherwise.
import { pino } from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.npm_lifecycle_event === 'test' ? 'silent' : 'info'),
  base: { service: process.env.OBTS_SERVICE ?? 'obts' },
});
