#!/usr/bin/env bash
# Article row 4 (resource files) through `az batch` with an account key, against `typed-batch emulator`.
# Needs: the server running, its emulator.env loaded (set -a; . DIR/emulator.env; set +a), Debian's
# azure-cli and python3-azure. Run from the repository root.
set -euo pipefail
export AZURE_CONFIG_DIR="${AZURE_CONFIG_DIR:-$TYPED_BATCH_EMULATOR_STATE_DIR/azure-cli}"

# The world of row 4, through the Python SDK (az 2.45 cannot create a pool with identities).
/usr/bin/python3 examples/python/prepare_row4.py
set -a; . "$TYPED_BATCH_EMULATOR_STATE_DIR/batch-account.env"; set +a

az batch pool list --query "[].{pool:id, vmSize:vmSize, allocationState:allocationState}" -o table
az batch job create --id frames --pool-id render
cat > "$TYPED_BATCH_EMULATOR_STATE_DIR/task.json" <<'JSON'
{"id": "frame-1", "commandLine": "render.sh",
 "resourceFiles": [{"autoStorageContainerName": "inputs", "blobPrefix": "scene/"}]}
JSON
az batch task create --job-id frames --json-file "$TYPED_BATCH_EMULATOR_STATE_DIR/task.json" --query "{id:id, state:state}"
# Simulated time: let the node start and the task run.
curl -sS --cacert "$REQUESTS_CA_BUNDLE" -X POST -H "content-type: application/json" -d '{}' "$TYPED_BATCH_EMULATOR_CONTROL/time/settle"; echo
az batch task show --job-id frames --task-id frame-1 --query "{state:state, failureInfo:executionInfo.failureInfo}"
