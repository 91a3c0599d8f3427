import * as pulumi from "@pulumi/pulumi";

/** The one container of the app's task; every field is the stack's decision, nothing is left to ECS defaults. */
export interface AppContainerArgs {
    readonly name: string;
    /** Image reference by digest (`repository@sha256:…`), so a new image is a new task definition revision. */
    readonly image: pulumi.Input<string>;
    readonly cpu: number;
    readonly memory: number;
    readonly containerPort: number;
    /** Seconds between SIGTERM and SIGKILL; the app drains in-flight requests within it. */
    readonly stopTimeout: number;
    /** Numeric `uid:gid` the image's runtime stage runs as. */
    readonly user: string;
    readonly environment: Readonly<Record<string, string>>;
    readonly logGroupName: pulumi.Input<string>;
    readonly region: string;
}

/**
 * The container definition JSON in the shape DescribeTaskDefinition returns it: keys in the API's
 * order, defaults and empty lists spelled out, environment sorted by name. Anything AWS would add or
 * reorder shows up as a diff on the next `pulumi preview`, so nothing is left for it to add.
 */
export function appContainerDefinitions(args: AppContainerArgs): pulumi.Output<string> {
    return pulumi.jsonStringify([{
        name: args.name,
        image: args.image,
        cpu: args.cpu,
        memory: args.memory,
        portMappings: [{
            containerPort: args.containerPort,
            // 0 asks ECS for a dynamic host port, so any number of tasks share a host.
            hostPort: 0,
            protocol: "tcp",
        }],
        essential: true,
        environment: Object.keys(args.environment).sort().map((name) => ({ name, value: args.environment[name] })),
        environmentFiles: [],
        mountPoints: [],
        volumesFrom: [],
        stopTimeout: args.stopTimeout,
        user: args.user,
        privileged: false,
        readonlyRootFilesystem: true,
        ulimits: [],
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": args.logGroupName,
                "awslogs-region": args.region,
                "awslogs-stream-prefix": args.name,
            },
            secretOptions: [],
        },
        systemControls: [],
    }]);
}
