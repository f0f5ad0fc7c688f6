"""A browser for the review pages over Datasette's test client: cookies and the CSRF token."""
import re
from http.cookies import SimpleCookie

from _review_data import PASSWORD

TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


class Client:
    """One browser: keeps its cookies, reads the CSRF token from the last form it saw."""

    def __init__(self, ds, loop):
        self.ds, self.loop, self.cookies, self.token = ds, loop, {}, None

    def _keep(self, response):
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)  # as a browser does with an expired cookie
                else:
                    self.cookies[name] = morsel.value
        found = TOKEN.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def get(self, path):
        return self._keep(self.loop.run_until_complete(self.ds.client.get(path, cookies=self.cookies)))

    def post(self, path, data, csrf=True):
        if csrf:
            if self.token is None:
                self.get("/-/login")
            data = {"csrftoken": self.token, **data}
        return self._keep(self.loop.run_until_complete(
            self.ds.client.post(path, data=data, cookies=self.cookies)))

    def login(self, name="lan", password=PASSWORD):
        self.get("/-/login")
        return self.post("/-/login", {"name": name, "password": password, "next": "/-/review"})
