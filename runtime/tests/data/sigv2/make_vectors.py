"""Makes the SigV2 vectors of `runtime/tests/sigv2_vectors.rs` with
botocore's own signer (`botocore.auth.SigV2Auth`), at a fixed time.

Run with botocore 1.44.5 installed:
    python3 make_vectors.py > vectors.json
"""
import json
import time
from unittest import mock

import botocore
from botocore.auth import SigV2Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CASES = [
    {
        "name": "ListDomains, long-term credentials",
        "url": "https://sdb.amazonaws.com/",
        "params": {"Action": "ListDomains", "Version": "2009-04-15", "MaxNumberOfDomains": "10"},
        "token": None,
        "time": 1700000000,
    },
    {
        "name": "PutAttributes, values that need encoding, session token",
        "url": "https://sdb.eu-west-1.amazonaws.com/",
        "params": {
            "Action": "PutAttributes",
            "Version": "2009-04-15",
            "DomainName": "my domain",
            "ItemName": "item/1+2",
            "Attribute.1.Name": "caf\u00e9",
            "Attribute.1.Value": "a=b&c~d*e'f(g)h!",
            "Attribute.1.Replace": "true",
        },
        "token": "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+with=chars",
        "time": 1733356800,
    },
    {
        "name": "a port in the host, no path",
        "url": "http://127.0.0.1:8080",
        "params": {"Action": "ListJobs", "Version": "2010-06-01", "MaxJobs": "5"},
        "token": None,
        "time": 946684799,
    },
]

out = []
for case in CASES:
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", case["token"])
    request = AWSRequest(method="POST", url=case["url"], data=dict(case["params"]))
    with mock.patch("time.gmtime", return_value=time.gmtime(case["time"])):
        SigV2Auth(creds).add_auth(request)
    params = request.data
    out.append({
        "name": case["name"],
        "url": case["url"],
        "params": case["params"],
        "session_token": case["token"],
        "time": case["time"],
        "signature": params["Signature"],
        "signed_params": {k: str(v) for k, v in params.items()},
    })
print(json.dumps({"botocore": botocore.__version__, "cases": out}, indent=2, ensure_ascii=False))
