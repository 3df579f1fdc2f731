"""Connect the Azure SDK for Python to a running `typed-batch emulator`.

Reads the connection from the environment `emulator.env` sets (load it with
`set -a; . DIR/emulator.env; set +a`), so nothing here is specific to the emulator but the
two things Debian's azure-identity 1.13 needs to use a custom authority:
`authority=AZURE_AUTHORITY_HOST` and `instance_discovery=False` (later versions call it
`disable_instance_discovery=True`). TLS trust comes from REQUESTS_CA_BUNDLE, which `requests`
(under azure-core, msrest and MSAL) reads by itself.
"""
import os

import requests
from azure.batch import BatchServiceClient
from azure.identity import ClientSecretCredential
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.batch import BatchManagementClient
from azure.mgmt.msi import ManagedServiceIdentityClient
from msrest.authentication import BasicTokenAuthentication

ARM_SCOPE = "https://management.azure.com/.default"
# The double slash gives the audience Batch requires: "https://batch.core.windows.net/".
BATCH_SCOPE = "https://batch.core.windows.net//.default"


class Emulator:
    """The clients and control calls a script needs, built from the environment."""

    def __init__(self):
        env = os.environ
        self.subscription_id = env["AZURE_SUBSCRIPTION_ID"]
        self.resource_group = env["AZURE_RESOURCE_GROUP"]
        self.location = env["AZURE_LOCATION"]
        self.arm_endpoint = env["AZURE_RESOURCE_MANAGER_ENDPOINT"]
        self.control = env["TYPED_BATCH_EMULATOR_CONTROL"]
        self.ca = env["REQUESTS_CA_BUNDLE"]
        self.credential = ClientSecretCredential(
            env["AZURE_TENANT_ID"],
            env["AZURE_CLIENT_ID"],
            env["AZURE_CLIENT_SECRET"],
            authority=env["AZURE_AUTHORITY_HOST"],
            instance_discovery=False,
        )
        arm = dict(base_url=self.arm_endpoint, credential_scopes=[ARM_SCOPE])
        self.batch_mgmt = BatchManagementClient(self.credential, self.subscription_id, **arm)
        self.msi = ManagedServiceIdentityClient(self.credential, self.subscription_id, **arm)
        self.authorization = AuthorizationManagementClient(self.credential, self.subscription_id, **arm)

    def batch(self, account_name):
        """A data-plane client for an account, with an Entra token (azure-batch 13 is msrest-based)."""
        account = self.batch_mgmt.batch_account.get(self.resource_group, account_name)
        token = self.credential.get_token(BATCH_SCOPE).token
        return BatchServiceClient(BasicTokenAuthentication({"access_token": token}), batch_url="https://" + account.account_endpoint)

    def call(self, method, path, **kwargs):
        """A control-endpoint call (`/_emulator/...`); returns the parsed JSON answer."""
        response = requests.request(method, self.control + path, verify=self.ca, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def storage_account_id(self, name):
        """Creates a storage account (the emulator serves no Microsoft.Storage ARM) and returns its id."""
        return self.call("PUT", "/storage/" + name)["id"]

    def seed_blob(self, storage_account, container, blob, content):
        self.call("PUT", "/blobs/{}/{}/{}".format(storage_account, container, blob), data=content)

    def settle(self):
        """Advances simulated time until nodes and tasks are steady."""
        return self.call("POST", "/time/settle", json={})

    def node_files(self, account, pool, node_id):
        return self.call("GET", "/nodes/{}/{}/{}/files".format(account, pool, node_id))["files"]
