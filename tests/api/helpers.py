def key_header(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}
