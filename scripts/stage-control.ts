/**
 * Presses one of the stage console's controls as its page does (simulator/stage/page/script.ts):
 * POST <stage>/api/<path> with the admin token. `stageUrl` ends with a slash, as the stage gives it.
 */
export async function pressStageControl(
  stageUrl: string,
  adminToken: string,
  path: string,
  body: object = {},
): Promise<void> {
  const response = await fetch(`${stageUrl}api/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}
