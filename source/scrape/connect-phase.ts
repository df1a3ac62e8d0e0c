/**
An undici connector that bounds the connection by the request deadline and knows where each connection attempt
stands (looking up the host, the TCP handshake, the TLS handshake), so a timeout can name the phase that ran out.

undici honours a request's abort signal only once its socket is connected, and its own connect timeout defaults to
10 s: against a port that drops SYNs or a listener that never speaks TLS, a 2 s deadline would otherwise take 10 s.
*/
import {isIP, Socket} from 'node:net';
import {buildConnector} from 'undici';

/** Where a connection attempt is: `dns` looking up the host, `tcp` in the handshake, `tls` in the TLS handshake. */
export type ConnectPhase = 'dns' | 'tcp' | 'tls';

export type PhaseConnector = {
	/** Pass as an undici `Agent`'s `connect` option. */
	readonly connect: buildConnector.connector;
	/** The phase of the attempt in progress to the URL's origin, or undefined when none is. */
	phaseOf(url: string): ConnectPhase | undefined;
	/** Ends every attempt in progress at once, so quitting never waits for a socket. */
	destroyAll(): void;
};

type Attempt = {
	phase: ConnectPhase;
	socket: Socket | undefined;
};

export function createPhaseConnector(options: {
	/** Longest a whole connection attempt may take (DNS, TCP and TLS together). */
	readonly timeoutMs: number;
	readonly insecure?: boolean;
}): PhaseConnector {
	const build = buildConnector({
		timeout: options.timeoutMs,
		rejectUnauthorized: options.insecure !== true,
	});
	const attempts = new Map<string, Attempt>();

	const connect: buildConnector.connector = (connectOptions, callback) => {
		const key = originKey(
			connectOptions.protocol,
			connectOptions.hostname,
			connectOptions.port,
		);
		// An address needs no lookup, and then no `lookup` event comes.
		const attempt: Attempt = {
			phase: isIP(connectOptions.hostname) === 0 ? 'dns' : 'tcp',
			socket: undefined,
		};
		let settled = false;
		const settle: buildConnector.Callback = (...result) => {
			settled = true;
			if (attempts.get(key) === attempt) {
				attempts.delete(key);
			}

			callback(...result);
		};

		// undici's connector returns the socket it made, though its type says nothing of it.
		// eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion
		const made: unknown = (build as (...arguments_: unknown[]) => unknown)(
			connectOptions,
			settle,
		);
		if (settled || !(made instanceof Socket)) {
			return;
		}

		attempt.socket = made;
		attempts.set(key, attempt);
		made.once('lookup', () => {
			attempt.phase = 'tcp';
		});
		made.once('connect', () => {
			attempt.phase = 'tls';
		});
	};

	return {
		connect,
		phaseOf(url) {
			const parsed = new URL(url);
			return attempts.get(
				originKey(parsed.protocol, parsed.hostname, parsed.port),
			)?.phase;
		},
		destroyAll() {
			for (const attempt of attempts.values()) {
				attempt.socket?.destroy();
			}

			attempts.clear();
		},
	};
}

/** undici strips an IPv6 host's brackets and leaves a default port empty; a URL keeps the brackets. */
function originKey(protocol: string, hostname: string, port: string): string {
	const host = hostname.replace(/^\[(.*)\]$/u, '$1');
	const defaultPort = protocol === 'https:' ? '443' : '80';
	return `${protocol}//${host}:${port === '' ? defaultPort : port}`;
}
