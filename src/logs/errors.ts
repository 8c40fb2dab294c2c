import { DeployError } from "../errors.js";

/** The target has nothing deployed, so it has no logs to show. */
export const notDeployed = (target: string, what: string) =>
  new DeployError(`${target} is not deployed: ${what}`, `deploy it first: \`logship deploy ${target}\``);
