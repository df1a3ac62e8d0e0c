/**
A scrape client that loads the HTTP stack (undici) on its first request. The full-screen view draws its first frame
before the first scrape, so with this it appears without waiting for undici to load.
*/
import type {ScrapeClient, ScrapeClientOptions} from './scrape-client.js';

export function createLazyScrapeClient(
	options: ScrapeClientOptions = {},
): ScrapeClient {
	let loaded: Promise<ScrapeClient> | undefined;
	const client = async () => {
		loaded ??= import('./scrape-client.js').then(module =>
			module.createScrapeClient(options),
		);
		return loaded;
	};

	let ready: ScrapeClient | undefined;
	return {
		// Read by `exchange` callers once an answer has come, so the client is loaded by then.
		get maxBytes() {
			return ready?.maxBytes ?? options.maxBytes ?? 16 * 1024 * 1024;
		},
		async scrape(url, signal) {
			const loadedClient = await client();
			return loadedClient.scrape(url, signal);
		},
		async getJson(url, ...rest) {
			const loadedClient = await client();
			return loadedClient.getJson(url, ...rest);
		},
		async probe(url) {
			const loadedClient = await client();
			return loadedClient.probe(url);
		},
		async exchange(url, request, read) {
			const loadedClient = await client();
			ready = loadedClient;
			return loadedClient.exchange(url, request, read);
		},
		async close() {
			// Never used: nothing to load just to close it.
			if (loaded !== undefined) {
				const loadedClient = await loaded;
				await loadedClient.close();
			}
		},
	};
}
