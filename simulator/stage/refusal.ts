/** A control the stage refuses, with the HTTP status and a message the page shows as it is. */
export class StageRefusal extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
