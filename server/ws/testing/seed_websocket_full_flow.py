"""The seed's integration test (../shared/seed/api-layer-plan.md, test_websocket_full_flow), as written, with the
two changes it needs to run against a real server: the Authorization header, and the URL of the server under test
(PYREPL_URL) instead of a fixed localhost:8080. Runs with Debian's python3-aiohttp.
"""
import asyncio
import json
import os
import sys

import aiohttp

URL = os.environ["PYREPL_URL"].replace("http://", "ws://") + "/ws"
HEADERS = {"Authorization": "Bearer " + os.environ["PYREPL_TOKEN"]}


async def test_websocket_full_flow():
    """Test complete WebSocket interaction."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(URL, headers=HEADERS) as ws:
            # Wait for session creation
            msg = await ws.receive_json()
            assert msg['type'] == 'session_created'

            # Execute code
            await ws.send_json({
                'type': 'execute',
                'code': 'print("test"); 42'
            })

            # Collect responses
            outputs = []
            result = None

            async for msg in ws:
                data = json.loads(msg.data)
                if data['type'] == 'output':
                    outputs.append(data['data'])
                elif data['type'] == 'result':
                    result = data
                    break

            assert 'test' in ''.join(outputs)
            assert result['repr'] == '42'


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(test_websocket_full_flow(), 60))
    print("test_websocket_full_flow passed")
    sys.exit(0)
