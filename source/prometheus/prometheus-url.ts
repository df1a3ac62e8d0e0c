/**
Checks the `--prometheus` URL before anything is sent, as a scrape URL is checked: http or https, a host, and no
credentials in it. A password in a URL would show in every message that names the server, so it is refused with
the flags that carry it instead.
*/
export function checkPrometheusUrl(input: string): string | null {
	let parsed: URL;
	try {
		parsed = new URL(input);
	} catch {
		return 'invalid --prometheus URL: expected something like http://prometheus:9090';
	}

	if (parsed.username !== '' || parsed.password !== '') {
		return `credentials in the --prometheus URL (${parsed.host}) are not supported: use --prometheus-user and --prometheus-password (or $VLLM_TOP_PROMETHEUS_PASSWORD), or --prometheus-token`;
	}

	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		return '--prometheus needs an http:// or https:// URL, e.g. http://prometheus:9090';
	}

	return null;
}
