"""The seed's design (seed 001) as a bench peer: FastAPI with a dependency that verifies the Cognito
access token against the JWKS with PyJWT, then reads the caller's row from the same Postgres tables
with asyncpg's pool. One process, uvicorn on uvloop/httptools when present. Installs nothing.

Env: DATABASE_URL, JWKS_URI, ISSUER, CLIENT_ID, POOL_MAX. Prints "LISTENING <port>" when ready.
"""
import json
import os
import socket
import sys
import urllib.request

import asyncpg
import jwt
import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException

ISSUER = os.environ["ISSUER"]
CLIENT_ID = os.environ["CLIENT_ID"]
with urllib.request.urlopen(os.environ["JWKS_URI"]) as r:
    KEYS = {k["kid"]: jwt.PyJWK(k).key for k in json.load(r)["keys"]}

app = FastAPI()
pool = None


@app.on_event("startup")
async def startup():
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=int(os.environ.get("POOL_MAX", "10")))


def current_user(authorization: str = Header(default="")):
    if not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing token")
    token = authorization[7:]
    try:
        key = KEYS[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(token, key, algorithms=["RS256"], issuer=ISSUER, options={"verify_aud": False})
    except Exception:
        raise HTTPException(401, "token invalid")
    if claims.get("token_use") != "access" or claims.get("client_id") != CLIENT_ID:
        raise HTTPException(401, "token invalid")
    return claims


@app.get("/public")
async def public():
    return {"ok": True, "at": "bench"}


@app.get("/users/me")
async def me(claims=Depends(current_user)):
    row = await pool.fetchrow("select sub, username, email, name, created_at from users where sub = $1", claims["sub"])
    if row is None:
        raise HTTPException(404, "no profile")
    return {
        "sub": row["sub"],
        "username": row["username"],
        "email": row["email"],
        "name": row["name"],
        "groups": claims.get("cognito:groups", []),
        "created_at": row["created_at"].isoformat(),
    }


@app.get("/items/{item_id}")
async def item(item_id: str, claims=Depends(current_user)):
    row = await pool.fetchrow(
        "select id, title, description, done, created_at, updated_at from items where id = $1 and owner_sub = $2",
        item_id,
        claims["sub"],
    )
    if row is None:
        raise HTTPException(404, "not found")
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "description": row["description"],
        "done": row["done"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


if __name__ == "__main__":
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
    sys.exit(0)
