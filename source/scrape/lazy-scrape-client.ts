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

	return {
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
		async post(url, options) {
			const loadedClient = await client();
			return loadedClient.post(url, options);
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
