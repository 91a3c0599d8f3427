/** Host ports ECS hands out for `hostPort: 0`; the hosts' security group opens exactly this range. */
export const dynamicHostPorts = { from: 32768, to: 65535 } as const;

/** ECS agent settings for the hosts (/etc/ecs/ecs.config). */
export function hostUserData(clusterName: string): string {
    return [
        "#!/bin/bash",
        "cat >> /etc/ecs/ecs.config <<'EOF'",
        `ECS_CLUSTER=${clusterName}`,
        // The app reads its AZ, host and mapped port from the container metadata file.
        "ECS_ENABLE_CONTAINER_METADATA=true",
        // Pinned to the range the hosts' security group opens, whatever the AMI's default.
        `ECS_DYNAMIC_HOST_PORT_RANGE=${dynamicHostPorts.from}-${dynamicHostPorts.to}`,
        "EOF",
        "",
    ].join("\n");
}
