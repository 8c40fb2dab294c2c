"""Starts moto's server with the few corrections logship's moto suite needs.

moto is an independent AWS emulator; where it departs from what AWS documents, the harness
adjusts moto here, before it serves, and never the product. Each patch cites the AWS page it
follows. Usage: python3 launcher.py HOST PORT
"""
import json
import os
import sys
import threading
import time

from moto.awslambda import models as lambda_models
from moto.awslambda import policy as lambda_policy
from moto.awslambda.exceptions import LambdaClientError
from moto import server

# Seconds a function stays Pending after CreateFunction, and an update InProgress after
# UpdateFunctionCode / UpdateFunctionConfiguration. AWS: "When you create a function, it is in
# the Pending state ... LastUpdateStatus is InProgress while the update happens"
# https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
SETTLE = float(os.environ.get("LOGSHIP_MOTO_LAMBDA_SETTLE_SECONDS", "3"))

Fn = lambda_models.LambdaFunction
_busy_until = {}  # function ARN -> (time, kind)
_lock = threading.Lock()


def _mark(fn, kind):
    with _lock:
        _busy_until[fn.function_arn] = (time.time() + SETTLE, kind)


def _busy(fn):
    with _lock:
        until, kind = _busy_until.get(fn.function_arn, (0, None))
    return kind if time.time() < until else None


# 1. States. moto reports Active and Successful at once; AWS moves Pending -> Active after a
#    create and InProgress -> Successful after an update (functions-states.html above).
_orig_get_configuration = Fn.get_configuration


def get_configuration(self, on_create=False):
    config = _orig_get_configuration(self, on_create)
    if str(config.get("Version")) != "$LATEST":
        return config
    kind = _busy(self)
    if kind == "create":
        config["State"] = "Pending"
        config["StateReason"] = "The function is being created."
        config["StateReasonCode"] = "Creating"
        config.pop("LastUpdateStatus", None)
    elif kind == "update":
        config["LastUpdateStatus"] = "InProgress"
        config["LastUpdateStatusReason"] = "The function is being updated."
        config["LastUpdateStatusReasonCode"] = "Updating"
    return config


Fn.get_configuration = get_configuration

_orig_init = Fn.__init__


def fn_init(self, *args, **kwargs):
    _orig_init(self, *args, **kwargs)
    if str(self.version) == "$LATEST":
        _mark(self, "create")


Fn.__init__ = fn_init


# 2. One update at a time. AWS answers ResourceConflictException "The operation cannot be
#    performed at this time. An update is in progress for resource: <arn>" while a function is
#    Pending or an update is InProgress.
#    https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html (Errors)
def _refuse_if_busy(fn):
    if _busy(fn):
        raise LambdaClientError(
            "ResourceConflictException",
            f"The operation cannot be performed at this time. An update is in progress for resource: {fn.function_arn}",
        )


# 3. UpdateFunctionConfiguration: moto drops EphemeralStorage and ImageConfig; AWS applies them.
#    https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html
_orig_update_configuration = Fn.update_configuration


def update_configuration(self, updates):
    if "EphemeralStorage" in updates:
        self.ephemeral_storage = updates["EphemeralStorage"]["Size"]
    if "ImageConfig" in updates:
        self.image_config = lambda_models.ImageConfig(updates["ImageConfig"])
    return _orig_update_configuration(self, updates)


Fn.update_configuration = update_configuration

# The backend's update calls (moto's backend applies UpdateFunctionCode twice, so the busy check
# sits here, once per request): refuse while busy, then mark the update InProgress.
Backend = lambda_models.LambdaBackend


def _guarded(name):
    orig = getattr(Backend, name)

    def call(self, function_name, qualifier, body):
        fn = self.get_function(function_name, qualifier)
        _refuse_if_busy(fn)
        orig(self, function_name, qualifier, body)
        if not body.get("DryRun"):
            _mark(fn, "update")
        return fn.get_configuration()

    setattr(Backend, name, call)


_guarded("update_function_code")
_guarded("update_function_configuration")


# 4. ResolvedImageUri. moto appends "@sha256:<digest>" to everything before the first ":", so a
#    by-digest ImageUri becomes "repo@sha256@sha256:...". AWS answers "repo@sha256:<digest>".
#    https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html
_orig_get_code = Fn.get_code


def get_code(self):
    out = _orig_get_code(self)
    code = out.get("Code", {})
    if "ImageUri" in code:
        repo = code["ImageUri"].split("@")[0]
        last = repo.rsplit("/", 1)
        if ":" in last[-1]:  # repo:tag
            repo = repo[: repo.rfind(":")]
        code["ResolvedImageUri"] = f"{repo}@sha256:{self.code_sha_256}"
    return out


Fn.get_code = get_code


# 5. Function URL conditions. moto keeps FunctionUrlAuthType / InvokedViaFunctionUrl as keys of
#    the statement; AWS writes them as conditions:
#    {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}} and
#    {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}.
#    https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
_orig_decode = lambda_policy.Policy.decode_policy


def decode_policy(self, obj):
    condition = {}
    if "FunctionUrlAuthType" in obj:
        condition.setdefault("StringEquals", {})["lambda:FunctionUrlAuthType"] = obj.pop("FunctionUrlAuthType")
    if "InvokedViaFunctionUrl" in obj:
        value = obj.pop("InvokedViaFunctionUrl")
        condition.setdefault("Bool", {})["lambda:InvokedViaFunctionUrl"] = str(value).lower()
    policy = _orig_decode(self, obj)
    if condition:
        statement = policy.statements[-1]
        for op, pairs in condition.items():
            statement.setdefault("Condition", {}).setdefault(op, {}).update(pairs)
    return policy


lambda_policy.Policy.decode_policy = decode_policy


if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    server.main(["-H", host, "-p", port])
