/**
What `/version` and `/health` said about a server: asked now and then by the live session, recorded with the scrapes,
and read back by a replay.
*/
import type {HealthState} from '../alerts/alert-input.js';

export type ServerMeta = {
	readonly version: string | null;
	readonly health: HealthState;
	/** HTTP status of /health, when it answered. */
	readonly healthStatus: number | null;
	/** Why /health could not be read. */
	readonly healthError: string | null;
};

/** `/health` as the alerts read it: 5xx is an unhealthy engine; no answer says nothing. */
export function healthFromStatus(
	status: number | null | undefined,
): HealthState {
	if (status === null || status === undefined) {
		return 'unknown';
	}

	return status >= 500 ? 'unhealthy' : status < 300 ? 'ok' : 'unknown';
}
