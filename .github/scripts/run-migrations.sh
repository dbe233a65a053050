#!/usr/bin/env bash
# Runs the API migrations as a one-off ECS task with a given image and waits for it:
#   run-migrations.sh <App stack name> <image uri:tag>
# Takes the stack's migration task definition, registers a revision with the new image (so the
# schema is migrated before the new code serves traffic), runs it in the private subnets, waits
# for it to stop and fails unless the container exited 0.
set -euo pipefail
stack="$1"
image="$2"

output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

cluster="$(output ClusterName)"
task_def="$(output MigrationTaskDefinitionArn)"
subnets="$(output MigrationSubnets)"
security_group="$(output MigrationSecurityGroup)"

# New revision of the migration task definition with the new image; read-only fields dropped.
aws ecs describe-task-definition --task-definition "$task_def" --query taskDefinition --output json |
  jq --arg image "$image" '.containerDefinitions[0].image = $image
    | del(.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities,
          .registeredAt, .registeredBy, .deregisteredAt)' > /tmp/migrate-task.json
new_def="$(aws ecs register-task-definition --cli-input-json file:///tmp/migrate-task.json \
  --query taskDefinition.taskDefinitionArn --output text)"

task="$(aws ecs run-task --cluster "$cluster" --task-definition "$new_def" --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$security_group],assignPublicIp=DISABLED}" \
  --started-by "deploy-migrations" --query 'tasks[0].taskArn' --output text)"
echo "migration task $task"
aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$task"

exit_code="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" \
  --query 'tasks[0].containers[0].exitCode' --output text)"
reason="$(aws ecs describe-tasks --cluster "$cluster" --tasks "$task" \
  --query 'tasks[0].stoppedReason' --output text)"
echo "migration task stopped: exit code $exit_code ($reason)"
[ "$exit_code" = "0" ]
