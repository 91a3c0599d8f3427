/**
 * The tags that attribute a resource's cost to this project, its stack and its service. The stack's AWS provider
 * puts the project's and the stack's on every resource that takes tags (its default tags); a service's resources
 * add the service's own. Cost Explorer shows them once they are activated as cost allocation tags.
 */
export const tagKeys = { project: "project", stack: "stack", service: "service" } as const;

/** The keys the stack sets itself, which `aws:defaultTags` may not set. */
export const reservedTagKeys: readonly string[] = Object.values(tagKeys);

/**
 * The tags the hosts carry besides the stack's (infra/components/ecsCluster.ts): ECS's on the Auto Scaling group it
 * manages, and the console's Name. With `project` and `stack`, they are the most tags of the stack's own any resource has.
 */
export const hostOwnTagKeys = ["AmazonECSManaged", "Name"] as const;

/** Every resource's tags: the account's own from `aws:defaultTags`, then the project's and the stack's. */
export function stackTags(project: string, stack: string, accountTags: Readonly<Record<string, string>>): Record<string, string> {
    return { ...accountTags, [tagKeys.project]: project, [tagKeys.stack]: stack };
}

/** The tag a service's resources add to the stack's. */
export function serviceTags(service: string): Record<string, string> {
    return { [tagKeys.service]: service };
}
