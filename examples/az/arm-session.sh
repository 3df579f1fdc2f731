#!/usr/bin/env bash
# ARM commands of the Azure CLI (`az batch account ...`) against `typed-batch emulator`, through a
# registered cloud. Needs the server running and its emulator.env loaded. Run from the repository root.
#
# Why "/adfs": az 2.45 builds its MSAL app without a switch for instance discovery, so for any
# authority host it does not know MSAL first asks login.microsoftonline.com whether the host is an
# Entra instance. MSAL skips that question for ADFS authorities (a path ending in /adfs), and the
# emulator serves its token endpoint under /adfs as well.
set -euo pipefail
export AZURE_CONFIG_DIR="${AZURE_CONFIG_DIR:-$TYPED_BATCH_EMULATOR_STATE_DIR/azure-cli}"

cat > "$TYPED_BATCH_EMULATOR_STATE_DIR/cloud.json" <<JSON
{"endpoints": {
  "resourceManager": "$AZURE_RESOURCE_MANAGER_ENDPOINT/",
  "activeDirectory": "$AZURE_AUTHORITY_HOST/adfs",
  "activeDirectoryResourceId": "https://management.core.windows.net/",
  "management": "https://management.core.windows.net/",
  "batchResourceId": "https://batch.core.windows.net/",
  "activeDirectoryGraphResourceId": "https://graph.windows.net/"}}
JSON
az cloud register -n TypedBatchEmulator --cloud-config "@$TYPED_BATCH_EMULATOR_STATE_DIR/cloud.json" 2>/dev/null \
  || az cloud update -n TypedBatchEmulator --cloud-config "@$TYPED_BATCH_EMULATOR_STATE_DIR/cloud.json"
az cloud set -n TypedBatchEmulator
az login --service-principal -u "$AZURE_CLIENT_ID" --password="$AZURE_CLIENT_SECRET" --tenant "$AZURE_TENANT_ID" --query "[].{subscription:id, state:state}" -o table

az batch account create -n azcliacct -g "$AZURE_RESOURCE_GROUP" -l "$AZURE_LOCATION" --query "{name:name, state:provisioningState}"
az batch account list --query "[].name" -o tsv
az batch account keys list -n azcliacct -g "$AZURE_RESOURCE_GROUP" --query "keys(@)" -o tsv
# Entra (not a key) on the data plane: az gets a Batch token from the same token endpoint.
az batch account login -n azcliacct -g "$AZURE_RESOURCE_GROUP"
az batch job create --id from-aad --pool-id any
az batch job list --query "[].id" -o tsv
