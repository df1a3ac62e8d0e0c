/**
Exit codes for `--once`, Nagios-style so probes, cron and CI can branch on them: 0 ok, 1 warn, 2 crit, 3 down or
unknown (the target could not be judged).
*/
import type {Status} from '../derive/snapshot.js';

export type ExitCode = 0 | 1 | 2 | 3;

export function exitCodeFor(status: Status | 'unknown'): ExitCode {
	switch (status) {
		case 'ok': {
			return 0;
		}

		case 'warn': {
			return 1;
		}

		case 'crit': {
			return 2;
		}

		case 'down':
		case 'unknown': {
			return 3;
		}
	}
}
