// The provisioning lint's part for the links between signals: every data source uid a link names
// must be provisioned, and with Tempo provisioned each signal must lead to the others.

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every `datasourceUid` found under `value`, with the path that leads to it. */
function linkedUids(value: unknown, path: string, found: Array<{ path: string; uid: unknown }> = []) {
  if (Array.isArray(value)) value.forEach((item, i) => linkedUids(item, `${path}[${i}]`, found));
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'datasourceUid') found.push({ path: `${path}.${key}`, uid: item });
      else linkedUids(item, `${path}.${key}`, found);
    }
  }
  return found;
}

/** Problems with the links between the given data sources (one provisioning file's list). */
export function traceLinkProblems(datasources: unknown[]): string[] {
  const entries = datasources.filter(isObject);
  const typeOf = new Map(entries.map((d) => [d.uid, d.type]));
  const problems: string[] = [];
  for (const datasource of entries) {
    for (const link of linkedUids(datasource.jsonData, 'jsonData')) {
      if (typeof link.uid !== 'string' || !typeOf.has(link.uid)) {
        problems.push(
          `data source "${String(datasource.uid)}": ${link.path} names "${String(link.uid)}", which is not provisioned`,
        );
      }
    }
  }
  const tempoUids = entries.filter((d) => d.type === 'tempo').map((d) => d.uid);
  if (tempoUids.length === 0) return problems;
  const linksTo = (uid: unknown, type: string) => typeof uid === 'string' && typeOf.get(uid) === type;
  const jsonData = (d: Json) => (isObject(d.jsonData) ? d.jsonData : {});
  const section = (d: Json, key: string) => {
    const value = jsonData(d)[key];
    return isObject(value) ? value : {};
  };
  const list = (d: Json, key: string) => {
    const value = jsonData(d)[key];
    return Array.isArray(value) ? value.filter(isObject) : [];
  };
  for (const tempo of entries.filter((d) => d.type === 'tempo')) {
    if (!linksTo(section(tempo, 'tracesToLogsV2').datasourceUid, 'loki'))
      problems.push(`data source "${String(tempo.uid)}": tracesToLogsV2 does not lead to a Loki data source`);
    if (!linksTo(section(tempo, 'tracesToMetrics').datasourceUid, 'prometheus'))
      problems.push(
        `data source "${String(tempo.uid)}": tracesToMetrics does not lead to a Prometheus data source`,
      );
  }
  for (const loki of entries.filter((d) => d.type === 'loki')) {
    if (!list(loki, 'derivedFields').some((f) => tempoUids.includes(f.datasourceUid)))
      problems.push(`data source "${String(loki.uid)}": no derived field leads to Tempo`);
  }
  for (const prometheus of entries.filter((d) => d.type === 'prometheus')) {
    if (!list(prometheus, 'exemplarTraceIdDestinations').some((e) => tempoUids.includes(e.datasourceUid)))
      problems.push(`data source "${String(prometheus.uid)}": exemplars do not lead to Tempo`);
  }
  return problems;
}
