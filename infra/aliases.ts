import * as pulumi from "@pulumi/pulumi";

/**
 * Where a component's children were registered before the stack was split into components: directly
 * under the stack, some under other names. Aliasing them there keeps their URNs, so a stack deployed from
 * the earlier code updates them in place instead of replacing the ALB, the cluster or the hosts.
 */
export interface FormerHome {
    readonly parent: pulumi.Resource;
    /** Earlier logical names, by today's name; a name not listed is unchanged. */
    readonly names?: Readonly<Record<string, string>>;
}

/** Options for a child resource of the calling component, by name. */
export type ChildOptions = (name: string, extra?: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;

/** The options for each child of `parent`: parented to it, and aliased to its former home when there is one. */
export function childOptionsOf(parent: pulumi.Resource, former: FormerHome | undefined): ChildOptions {
    return (name, extra = {}) => {
        const aliases = former === undefined ? undefined : [{ parent: former.parent, name: former.names?.[name] ?? name }];
        return { ...extra, parent, aliases };
    };
}
